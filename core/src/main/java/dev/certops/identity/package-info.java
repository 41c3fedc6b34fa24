/**
 * Who is acting: an engineer's SSH signing key, through ssh-agent or a key file, and signatures in
 * OpenSSH's SSHSIG format (namespace {@code certops}) that {@code ssh-keygen -Y verify} accepts.
 * Bouncy Castle does the arithmetic; the agent protocol is spoken over the unix socket in
 * {@code $SSH_AUTH_SOCK}. No JSch here: core never depends on it.
 */
package dev.certops.identity;
