package dev.certops.acme;

/** The workspace is not set up for this CA (terms, EAB, staging directory): the message says what to add. */
class AcmeConfigProblem extends Exception {
    private static final long serialVersionUID = 1L;

    AcmeConfigProblem(String message) { super(message); }
}
