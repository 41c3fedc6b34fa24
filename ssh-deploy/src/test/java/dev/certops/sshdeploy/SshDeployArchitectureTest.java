package dev.certops.sshdeploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** ssh-deploy sits beside the app, under core: it never reaches up into the console. */
@AnalyzeClasses(packages = "dev.certops.sshdeploy", importOptions = ImportOption.DoNotIncludeTests.class)
class SshDeployArchitectureTest {

    @ArchTest
    static final ArchRule sshDeployDoesNotImportApp = noClasses().that().resideInAPackage("dev.certops.sshdeploy..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.certops.app..", "javafx..");
}
