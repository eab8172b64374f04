package dev.mdmgw.persistence.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unprivileged account a gateway started as root runs a new cluster under: a dedicated
 * system user, created on first use, so that no other service can read the database files.
 */
final class ServiceAccount {
    static final String NAME = "mdmgw-postgres";
    private static final String FALLBACK = "nobody";
    private static final int FALLBACK_ID = 65534;
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccount.class);

    private ServiceAccount() {}

    static Account findOrCreate() {
        Optional<Account> existing = Account.lookup(NAME);
        if (existing.isPresent()) {
            return existing.get();
        }
        String failure = "useradd is not installed";
        Optional<Path> useradd = SystemCommand.find("useradd");
        if (useradd.isPresent()) {
            SystemCommand.Result result = SystemCommand.run(List.of(useradd.get().toString(),
                    "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", "--comment", "mdm-gateway embedded PostgreSQL", NAME));
            // Look again whatever useradd said: a concurrent start may have created it first.
            Optional<Account> created = Account.lookup(NAME);
            if (created.isPresent()) {
                LOG.info("Created system user {} to run the embedded PostgreSQL", created.get());
                return created.get();
            }
            failure = "useradd failed: " + result.output();
        }
        Account fallback = Account.lookup(FALLBACK).orElse(new Account(FALLBACK, FALLBACK_ID, FALLBACK_ID));
        LOG.warn("Could not create system user '{}' ({}); running the embedded PostgreSQL as {} instead, "
                + "so other processes running as that user could read its files", NAME, failure, fallback);
        return fallback;
    }
}
