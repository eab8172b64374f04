package dev.mdmgw.persistence.org;

import java.util.Arrays;
import java.util.List;

/** The fields enrollment tokens can be listed in the order of, by their API names. */
public enum TokenSort {
    ID("id", "t.id"),
    CREATED_AT("createdAt", "t.created_at"),
    UPDATED_AT("updatedAt", "t.updated_at"),
    EXPIRE_AT("expireAt", "t.expire_at"),
    DISPLAY_NAME("displayName", "t.display_name"),
    STATE("state", "t.state"),
    ENROLL_CODE("enrollCode", "t.enroll_code");

    private final String field;
    private final String column;

    TokenSort(String field, String column) {
        this.field = field;
        this.column = column;
    }

    public String field() {
        return field;
    }

    /** The SQL expression; fixed text, never the caller's. */
    public String column() {
        return column;
    }

    /** Null when {@code field} is none of them. */
    public static TokenSort fromField(String field) {
        for (TokenSort s : values()) {
            if (s.field.equals(field)) {
                return s;
            }
        }
        return null;
    }

    public static List<String> fields() {
        return Arrays.stream(values()).map(TokenSort::field).toList();
    }
}
