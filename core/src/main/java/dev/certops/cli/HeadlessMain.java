package dev.certops.cli;

import dev.certops.logging.LogProvider;
import dev.certops.startup.ProcessExit;

/**
 * The entry point of the headless package ({@code certops-cli}): the same commands as {@code certops},
 * without JavaFX. Where the full package would open the console (no arguments, or {@code --workspace DIR}
 * alone) it prints one line saying which package has it, and exits {@link ExitCodes#USAGE}.
 */
public final class HeadlessMain {
    /** What {@code certops} prints in the headless package where the console would open. */
    public static final String NO_CONSOLE = "certops: this is certops-cli, which has no console — install the certops package for it"
            + " (apt-get install certops, or dnf install certops); run `certops --help` for the commands";

    private HeadlessMain() { }

    public static void main(String[] args) {
        LogProvider.select();
        if (opensConsole(args)) {
            System.err.println(NO_CONSOLE);
            System.exit(ExitCodes.USAGE);
        }
        ProcessExit.exit(Cli.run(args));
    }

    /** No arguments, or {@code --workspace DIR} alone: what opens the console in the full package. */
    public static boolean opensConsole(String[] args) {
        return args.length == 0
                || args.length == 2 && args[0].equals("--workspace")
                || args.length == 1 && args[0].startsWith("--workspace=");
    }
}
