package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A local OS account by name and numeric ids, as the system's user database knows it. */
record Account(String name, int uid, int gid) {

    /** Looks up by name or by numeric uid; getent also sees NSS sources (LDAP...), /etc/passwd does not. */
    static Optional<Account> lookup(String nameOrUid) {
        Optional<Path> getent = SystemCommand.find("getent");
        if (getent.isPresent()) {
            SystemCommand.Result result = SystemCommand.run(List.of(getent.get().toString(), "passwd", nameOrUid));
            return result.succeeded() ? parse(result.output()) : Optional.empty();
        }
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream()
                    .map(Account::parse)
                    .flatMap(Optional::stream)
                    .filter(a -> a.name.equals(nameOrUid) || String.valueOf(a.uid).equals(nameOrUid))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Account> parse(String passwdLine) {
        String[] fields = passwdLine.split(":");
        if (fields.length < 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Account(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "'" + name + "' (uid " + uid + ")";
    }
}
