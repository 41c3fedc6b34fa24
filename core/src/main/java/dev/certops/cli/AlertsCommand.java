package dev.certops.cli;

import dev.certops.words.Words;
import dev.certops.alert.AlertService;
import dev.certops.alert.ChannelHealth;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code certops alerts test [CHANNEL]} and {@code certops alerts status}. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "The alert channels of certops.yaml (alerts:): send a test, see which channel is broken.",
        subcommands = {AlertsCommand.TestCommand.class, AlertsCommand.StatusCommand.class})
final class AlertsCommand implements Runnable {
    private final CliContext ctx;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    AlertsCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public void run() { spec.commandLine().usage(ctx.out()); }

    static AlertService service(CliContext ctx) throws Exception {
        return ctx.session().alertService().orElseThrow(() -> new CommandFailedException(
                "no alert channels in certops.yaml — add an alerts: list, e.g. alerts: [{ id: ops, type: webhook, url: \"https://...\" }]",
                ExitCodes.CONFIG));
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Send a test message to every channel, or to CHANNEL; prints delivered or failed with the reason and what to check.",
                    "PagerDuty: the test event is triggered and resolved at once. Exit 0 when all were delivered, 2 when any failed."})
    static final class TestCommand implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "CHANNEL", arity = "0..1", description = "The id of one channel.") String channel;

        TestCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            AlertService alerts = service(ctx);
            if (channel != null && alerts.channels().stream().noneMatch(c -> c.id().equals(channel))) {
                throw new CommandFailedException("no alert channel '" + channel + "' in certops.yaml — known: "
                        + String.join(", ", alerts.channels().stream().map(c -> c.id()).toList()), ExitCodes.USAGE);
            }
            List<AlertService.TestResult> results = alerts.test(Optional.ofNullable(channel));
            int failed = 0;
            for (AlertService.TestResult r : results) {
                if (r.delivered()) {
                    ctx.out().printf("%-12s %-10s delivered%s%n", r.channel(), r.type(), r.attempts() > 1 ? " (after " + r.attempts() + " attempts)" : "");
                } else {
                    failed++;
                    ctx.out().printf("%-12s %-10s FAILED after %s: %s%n", r.channel(), r.type(), Words.count(r.attempts(), "attempt"), r.error());
                    ctx.out().printf("%-12s %-10s check: %s%n", "", "", r.hint());
                }
            }
            ctx.out().println(failed == 0 ? (results.size() == 1 ? "The channel" : "All " + results.size() + " channels") + " delivered the test."
                    : failed + " of " + Words.count(results.size(), "channel") + " failed; fix them and run ./certops alerts test again.");
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Each channel's last delivery and last failure, from history.",
                    "Exit 0 when every channel works (or none is configured), 2 when a channel's newest delivery failed."})
    static final class StatusCommand implements Callable<Integer> {
        private final CliContext ctx;

        StatusCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            var alerts = ctx.session().alertService();
            if (alerts.isEmpty()) {
                // nothing is broken: there is simply no channel to report on (exit 0, not "workspace invalid")
                ctx.out().println("No alert channels are configured: nobody is told when a renewal fails. Add an alerts: list to "
                        + ctx.config().file() + ", e.g. alerts: [{ id: ops, type: webhook, url: \"https://...\" }]");
                return ExitCodes.OK;
            }
            int broken = 0;
            for (ChannelHealth h : alerts.get().health()) {
                String delivered = h.lastDelivered().map(Words::instant).orElse("never");
                if (h.broken()) {
                    broken++;
                    ctx.out().printf("%-12s %-10s BROKEN since %s: %s — check: %s (last delivered: %s)%n", h.channel(), h.type(),
                            Words.instant(h.lastFailed().orElseThrow()), h.lastError(), h.lastHint(), delivered);
                } else {
                    ctx.out().printf("%-12s %-10s ok (last delivered: %s)%n", h.channel(), h.type(), delivered);
                }
            }
            return broken == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
