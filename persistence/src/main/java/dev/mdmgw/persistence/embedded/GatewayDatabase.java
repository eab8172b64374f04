package dev.mdmgw.persistence.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The database the gateway uses inside the cluster, created on first start. */
final class GatewayDatabase {
    static final String NAME = "mdmgw";

    private GatewayDatabase() {}

    /** Creates the database if missing and returns the server's version. */
    static String ensureExists(int port, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        String url = "jdbc:postgresql://" + ListenPort.HOST + ":" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, props)) {
            if (!exists(connection)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + NAME);
                }
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("PostgreSQL started but the gateway's database could not be "
                    + "prepared: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, NAME);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }
}
