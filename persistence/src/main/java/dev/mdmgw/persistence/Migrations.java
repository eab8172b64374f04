package dev.mdmgw.persistence;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** Schema migrations over JDBC (Flyway has no R2DBC support); run once, blocking, at start. */
final class Migrations {
    private Migrations() {
    }

    static void run(PostgresUrl url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {url.host()});
        ds.setPortNumbers(new int[] {url.port()});
        ds.setDatabaseName(url.database());
        ds.setUser(url.user());
        ds.setPassword(url.password());
        ds.setSslMode(url.sslMode());
        if (url.params().containsKey("sslrootcert")) {
            ds.setSslRootCert(url.params().get("sslrootcert"));
        }
        ds.setApplicationName(Database.APPLICATION_NAME);
        ds.setConnectTimeout((int) Database.CONNECT_TIMEOUT.toSeconds());
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
