package dev.mdmgw.persistence.read;

import java.util.List;

/** One page of a listing and the size of the whole listing. */
public record Page<T>(List<T> items, int page, int limit, long totalDocs) {
    public long totalPages() {
        return limit == 0 ? 0 : (totalDocs + limit - 1) / limit;
    }
}
