package dev.certops.acme;

/** Progress of an issuance, for the CLI, the console and runbooks. The library itself never prints. */
@FunctionalInterface
public interface IssuanceListener {

    /** The stages an issuance goes through. */
    enum Stage { ACCOUNT, ORDER, AUTHORIZATION, CHALLENGE, PROPAGATION, VALIDATION, FINALIZE, DOWNLOAD, DECISION, DONE }

    void progress(String ca, Stage stage, String message);

    IssuanceListener NONE = (ca, stage, message) -> { };
}
