package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * The loopback port PostgreSQL listens on: the one of the last run while it is free, so that
 * a psql pointed at it keeps working across restarts, else any free one.
 */
final class ListenPort {
    static final String HOST = "127.0.0.1";

    private ListenPort() {}

    static int choose(Optional<String> remembered) {
        Optional<Integer> previous = remembered.flatMap(ListenPort::parse);
        if (previous.isPresent() && isFree(previous.get())) {
            return previous.get();
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As PostgreSQL binds: connections of the last run lingering in TIME_WAIT don't block it.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Integer> parse(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port < 65536 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
