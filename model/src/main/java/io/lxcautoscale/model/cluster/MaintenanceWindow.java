package io.lxcautoscale.model.cluster;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily time span in the host's local time, {@code "HH:MM-HH:MM"}: from the start (included) to the end (excluded).
 * A window whose end is earlier than its start crosses midnight ({@code "23:00-01:00"} is 23:00 to 01:00 the next
 * day). Start and end must differ.
 */
public record MaintenanceWindow(LocalTime start, LocalTime end) {
    private static final Pattern FORMAT = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)");

    public MaintenanceWindow {
        if (start.equals(end)) {
            throw new IllegalArgumentException("start and end are the same time");
        }
    }

    /** The window {@code text} describes, or empty when it is not {@code HH:MM-HH:MM} with two different times. */
    public static Optional<MaintenanceWindow> parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalTime start = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        LocalTime end = LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        return start.equals(end) ? Optional.empty() : Optional.of(new MaintenanceWindow(start, end));
    }

    public boolean crossesMidnight() {
        return end.isBefore(start);
    }

    /** Whether the local time {@code t} is inside the window. */
    public boolean contains(LocalTime t) {
        return crossesMidnight() ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * The date on which the window that holds {@code t} opened (a window crossing midnight opened the day before in
     * its early part), or empty when {@code t} is outside every window. It tells one night's window from the next.
     */
    public Optional<LocalDate> openedOn(LocalDateTime t) {
        if (!contains(t.toLocalTime())) {
            return Optional.empty();
        }
        boolean earlyPart = crossesMidnight() && t.toLocalTime().isBefore(end);
        return Optional.of(earlyPart ? t.toLocalDate().minusDays(1) : t.toLocalDate());
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
