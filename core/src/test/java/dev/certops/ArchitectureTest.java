package dev.certops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Core's layer rules: no UI, no SSH library, acme4j only in core.acme (not even its sub-packages), no way back to the
 * outer modules; packages free of cycles; the composition root and the operations layer used only from above; console
 * output only from the CLI.
 */
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

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.certops.(**)").should().beFreeOfCycles()
            .because("a feature that reaches back into what uses it cannot be understood, tested or moved alone");

    @ArchTest
    static final ArchRule onlyTheFacesUseTheCompositionRoot = noClasses()
            .that().resideOutsideOfPackages("dev.certops.cli..", "dev.certops.root..", "dev.certops.app..")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.certops.root.CompositionRoot")
            .because("CompositionRoot builds the services once per process; features get what they use through their constructors (CoreServices)");

    @ArchTest
    static final ArchRule onlyCallersOfTheOperationsLayerUseIt = noClasses()
            .that().resideOutsideOfPackages("dev.certops.operations..", "dev.certops.cli..", "dev.certops.root..", "dev.certops.app..",
                    "dev.certops.runbook.action..", "dev.certops.renew..")
            .should().dependOnClassesThat().resideInAPackage("dev.certops.operations..")
            .because("the CLI, the console, runbook actions and the renew workers call the operations layer; the services below it never do");

    @ArchTest
    static final ArchRule consoleOutputOnlyFromTheCli = noClasses().that().resideOutsideOfPackage("dev.certops.cli..")
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            .because("a library never prints: the CLI owns the terminal, the console its window, the rest logs or returns words");
}
