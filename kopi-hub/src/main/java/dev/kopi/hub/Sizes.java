package dev.kopi.hub;

import java.util.Locale;

/** Byte counts for people. */
public final class Sizes {
    private Sizes() {}

    /** E.g. {@code 16.5 GB}: decimal units, as the hub shows sizes. */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
