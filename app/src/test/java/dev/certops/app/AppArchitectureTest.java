package dev.certops.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The console is views and view-models only: no ACME, SSH or SQL here; view-models touch no control; no terminal output. */
@AnalyzeClasses(packages = "dev.certops.app", importOptions = ImportOption.DoNotIncludeTests.class)
class AppArchitectureTest {

    @ArchTest
    static final ArchRule appImportsNoAcme4jJschOrSql = noClasses().that().resideInAPackage("dev.certops.app..")
            .should().dependOnClassesThat().resideInAnyPackage("org.shredzone.acme4j..", "com.jcraft..", "java.sql..", "javax.sql..")
            .because("long work goes through core services; the app renders and commands");

    @ArchTest
    static final ArchRule appDoesNotImportSshDeploy = noClasses().that().resideInAPackage("dev.certops.app..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.certops.sshdeploy..")
            .because("the SSH deployer is found through core's connector service");

    @ArchTest
    static final ArchRule viewModelsTouchNoControl = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
            .because("a view-model holds properties and commands and is tested as plain Java; the view owns the controls");

    @ArchTest
    static final ArchRule consoleWritesNoTerminal = noClasses().that().resideInAPackage("dev.certops.app..")
            .should().accessField(System.class, "out")
            .because("the console shows words in its window and logs; only the CLI prints");
}
