package dev.mdmgw.gateway.service.org;

import java.util.ArrayList;
import java.util.List;

/**
 * A SCEP subject as the admin writes it ({@code CN=device,O=Acme}) and as a SCEP payload wants it:
 * a list of RDNs, each a list of one [type, value] pair.
 */
public final class ScepSubject {
    private ScepSubject() {
    }

    /** The [type, value] pairs in order; IllegalArgumentException naming the field when malformed. */
    public static List<String[]> parse(String subject) {
        List<String[]> out = new ArrayList<>();
        for (String part : subject.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("enrollment.scep.subject must be TYPE=value pairs separated by commas");
            }
            out.add(new String[] {part.substring(0, eq).trim(), part.substring(eq + 1).trim()});
        }
        return out;
    }
}
