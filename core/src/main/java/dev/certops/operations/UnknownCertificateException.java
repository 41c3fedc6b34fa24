package dev.certops.operations;

/** An id that names no certificate of certops.yaml; the message names the file and the ids it does name. */
public final class UnknownCertificateException extends IllegalArgumentException {
    private final String certificateId;

    UnknownCertificateException(String certificateId, String message) {
        super(message);
        this.certificateId = certificateId;
    }

    public String certificateId() { return certificateId; }
}
