package dev.mdmgw.gateway.service.org;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Enrollment codes: 10 characters of an alphabet without look-alikes (no 0/O, 1/I), 50 random bits:
 * short enough to type, too many to guess. The database's unique index keeps them unique; a
 * collision is retried with new codes.
 */
public final class EnrollCodes {
    private static final char[] ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();
    private static final int LENGTH = 10;
    public static final Pattern PATTERN = Pattern.compile("^[2-9A-HJ-NP-Z]{" + LENGTH + "}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private EnrollCodes() {
    }

    public static String next() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }
}
