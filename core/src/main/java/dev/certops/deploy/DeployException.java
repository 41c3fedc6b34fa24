package dev.certops.deploy;

import java.util.Optional;

/**
 * A deploy-side failure that an operator can act on: which host, at which step, what happened,
 * whether the previous release was restored, and what to do next.
 */
public class DeployException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String hostId;
    private final String step;
    private final boolean rolledBack;
    private final String nextStep;

    public DeployException(String hostId, String step, String message, String nextStep) {
        this(hostId, step, message, nextStep, false, null);
    }

    public DeployException(String hostId, String step, String message, String nextStep,
                           boolean rolledBack, Throwable cause) {
        super(message, cause);
        this.hostId = hostId;
        this.step = step;
        this.rolledBack = rolledBack;
        this.nextStep = nextStep;
    }

    public String hostId() { return hostId; }
    public String step() { return step; }
    public boolean rolledBack() { return rolledBack; }
    public Optional<String> nextStep() { return Optional.ofNullable(nextStep); }

    @Override
    public String getMessage() {
        String base = (hostId == null ? "" : hostId + ": ") + (step == null ? "" : step + ": ") + super.getMessage();
        return nextStep == null ? base : base + " — " + nextStep;
    }
}
