package dev.certops.team;

/** The team files are wrong, or the actor may not do what was asked; the message says what to add or do. */
public class TeamException extends Exception {
    public TeamException(String message) { super(message); }
}
