package dev.certops.ratelimit;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * An exact set of identifiers as Let's Encrypt compares them for renewals and the exact-set limit:
 * case-insensitive, order-insensitive, duplicates ignored.
 *
 * @param names normalized ({@link RegisteredDomains#normalize}), sorted, distinct
 */
public record NameSet(List<String> names) {
    public NameSet {
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException("a certificate needs at least one name");
    }

    public static NameSet of(Collection<String> names) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String n : names) sorted.add(RegisteredDomains.normalize(n));
        return new NameSet(List.copyOf(sorted));
    }

    /** The index key: names joined by commas. */
    public String key() { return String.join(",", names); }

    @Override public String toString() { return key(); }
}
