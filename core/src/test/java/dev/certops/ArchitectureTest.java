package dev.certops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Core's layer rules: no UI, no SSH library, acme4j only in core.acme (not even its sub-packages), no way back to the outer modules. */
@AnalyzeClasses(packages = "dev.certops", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreImportsNoJavaFx = noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
            .because("core is the product logic; the console is a thin face over it");

    @ArchTest
    static final ArchRule coreImportsNoJsch = noClasses().should().dependOnClassesThat().resideInAnyPackage("com.jcraft..")
            .because("SSH lives in ssh-deploy behind core's deploy port");

    @ArchTest
    static final ArchRule coreDoesNotDependOnOuterModules = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.certops.app..", "dev.certops.sshdeploy..");

    @ArchTest
    static final ArchRule onlyAcmePackageTouchesAcme4j = noClasses().that().resideOutsideOfPackage("dev.certops.acme")
            .should().dependOnClassesThat().resideInAnyPackage("org.shredzone.acme4j..")
            .because("the ACME protocol is modelled once, in core.acme");

    @ArchTest
    static final ArchRule onlyAlertPackageTouchesMail = noClasses().that().resideOutsideOfPackage("dev.certops.alert")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.mail..", "org.eclipse.angus..")
            .because("SMTP is one alert channel, kept in core.alert");
}
