package dev.certops.operations;

/** An earlier deploy of the certificate was interrupted and could not be settled; nothing else was done. */
public final class UnsettledDeployException extends Exception {
    UnsettledDeployException(String certificateId, Exception cause) {
        super("an earlier deploy of " + certificateId + " was interrupted and could not be settled: " + cause.getMessage()
                + ". Nothing else was done.", cause);
    }
}
