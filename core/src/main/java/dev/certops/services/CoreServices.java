package dev.certops.services;

import dev.certops.alert.AlertService;
import dev.certops.alert.Alerts;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.HostConnectors;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.lease.LeaseService;
import dev.certops.ratelimit.BudgetService;
import dev.certops.team.TeamAccess;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the features below the composition root use of an open workspace: its configuration, history,
 * secrets, clock, hosts and leases. The composition root ({@code root.CompositionRoot}) implements it and is
 * built once per process; features (acme, estate, renew, runbook actions, the operations layer) take
 * this interface, never the root itself, so no feature depends on what builds it.
 */
public interface CoreServices {
    Workspace workspace();

    Map<String, String> env();

    Clock clock();

    /** Who acts (recorded on every event). */
    String actor();

    /** Who may do what here. */
    TeamAccess team();

    /** The validated configuration. */
    CertopsConfig config() throws ConfigException;

    HistoryStore history() throws HistoryException;

    /** Leases on what changes the world, in the same database as history. */
    LeaseService leases() throws HistoryException;

    /** The deploy service over this workspace's hosts, recording in history unless a dry run. */
    Deployer deployer(DeploySettings settings) throws HistoryException;

    HostConnectors connectors();

    /** The rate-limit budget from history. */
    BudgetService budget() throws ConfigException, HistoryException;

    /** The workspace's secrets/ folder. */
    SecretStore secrets();

    /** Where conditions are reported (the configured channels, or none). */
    Alerts alerts() throws ConfigException, HistoryException;

    /** The configured alert service, empty when no channel is configured. */
    Optional<AlertService> alertService() throws ConfigException, HistoryException;
}
