package io.lxcautoscale.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of a request's input fields: every rule failure is collected (so one 400 lists them all),
 * aliases are resolved to the canonical name, and unknown fields are rejected by {@link #finish()}.
 *
 * <p>Integers must be JSON integers in a body (no floats, booleans or numeric strings) and plain digit
 * strings in a query string. Nothing a handler gets from here can look like a command-line option.
 */
public final class Fields {
    public static final long MIN_VMID = 100;
    public static final long MAX_VMID = 999_999_999L;
    /** Proxmox's snapshot-name rule; the first character is a letter, so a name never starts with '-'. */
    public static final Pattern SNAPSHOT_NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]+$");
    public static final int SNAPSHOT_NAME_MAX = 40;
    private static final Pattern HOST_LABEL = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$");
    private static final Pattern NODE_NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,61}[a-zA-Z0-9])?$");
    private static final Pattern QUERY_INTEGER = Pattern.compile("^[0-9]{1,18}$");

    private final Map<String, JsonNode> input;
    private final boolean fromQueryString;
    private final Set<String> accepted = new HashSet<>();
    private final List<String> errors = new ArrayList<>();

    public Fields(Map<String, JsonNode> input, boolean fromQueryString) {
        this.input = input;
        this.fromQueryString = fromQueryString;
    }

    /** The container id from {@code vm_id}, {@code lxc_id} or {@code container_id}. */
    public Integer vmid(boolean required) {
        return vmidField("vm_id", required, "lxc_id", "container_id");
    }

    /** A container id field with its aliases; range 100–999999999 (Proxmox's pve-vmid). */
    public Integer vmidField(String name, boolean required, String... aliases) {
        Long v = integer(name, required, aliases);
        if (v == null) {
            return null;
        }
        if (v < MIN_VMID || v > MAX_VMID) {
            errors.add("Container ID must be between " + MIN_VMID + " and " + MAX_VMID + ", got " + v + " (" + name + ")");
            return null;
        }
        return v.intValue();
    }

    /** An integer in [min, max]; {@code what} starts the range message, e.g. "Cores". */
    public Integer intInRange(String name, boolean required, String what, long min, long max, String unit) {
        Long v = integer(name, required);
        if (v == null) {
            return null;
        }
        if (v < min || v > max) {
            errors.add(what + " must be between " + min + " and " + max + (unit.isEmpty() ? "" : " " + unit) + ", got " + v);
            return null;
        }
        return v.intValue();
    }

    /** A snapshot name per Proxmox: a letter, then letters, digits, '_' or '-', at most 40 characters. */
    public String snapshotName(String name, boolean required) {
        String v = string(name, required, 256);
        if (v == null) {
            return null;
        }
        if (v.length() > SNAPSHOT_NAME_MAX || !SNAPSHOT_NAME.matcher(v).matches()) {
            errors.add("Snapshot name must start with a letter, then contain letters, digits, '_' or '-' "
                    + "(2 to " + SNAPSHOT_NAME_MAX + " characters): " + shown(v));
            return null;
        }
        if (v.equalsIgnoreCase("current")) {
            errors.add("Snapshot name 'current' is reserved by Proxmox");
            return null;
        }
        return v;
    }

    /** An RFC 1123 host name (dot-separated labels of letters, digits and inner '-'), at most 253 characters. */
    public String hostname(String name, boolean required, String... aliases) {
        String v = string(name, required, 512, aliases);
        if (v == null) {
            return null;
        }
        boolean ok = v.length() <= 253;
        for (String label : v.split("\\.", -1)) {
            ok &= HOST_LABEL.matcher(label).matches();
        }
        if (!ok) {
            errors.add("Hostname must be RFC 1123 compliant (letters, digits and '-', labels of 1 to 63 characters "
                    + "separated by '.', not starting or ending with '-'): " + shown(v));
            return null;
        }
        return v;
    }

    /** A Proxmox node name. */
    public String nodeName(String name, boolean required) {
        String v = string(name, required, 256);
        if (v == null) {
            return null;
        }
        if (!NODE_NAME.matcher(v).matches()) {
            errors.add("Node name must be alphanumeric with inner '.' or '-', at most 63 characters: " + shown(v));
            return null;
        }
        return v;
    }

    /** A JSON boolean (or {@code true}/{@code false} in a query string). */
    public Boolean bool(String name, boolean required) {
        JsonNode node = take(name, required);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (fromQueryString && node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
            return Boolean.parseBoolean(node.textValue());
        }
        errors.add(name + " must be true or false, got " + describe(node));
        return null;
    }

    /** Adds a cross-field error (e.g. "new_vm_id must differ from vm_id"). */
    public void error(String message) {
        errors.add(message);
    }

    /** Rejects unknown fields and throws one 400 listing every error collected. */
    public void finish() {
        for (String key : input.keySet()) {
            if (!accepted.contains(key)) {
                errors.add("Unknown field: " + shown(key));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.validation(errors);
        }
    }

    private Long integer(String name, boolean required, String... aliases) {
        JsonNode node = take(name, required, aliases);
        if (node == null) {
            return null;
        }
        if (fromQueryString) {
            if (node.isTextual() && QUERY_INTEGER.matcher(node.textValue()).matches()) {
                return Long.parseLong(node.textValue());
            }
            errors.add(name + " must be a whole number, got " + describe(node));
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(name + " must be a JSON integer, got " + describe(node));
            return null;
        }
        BigInteger big = node.bigIntegerValue();
        if (big.bitLength() > 62) {
            // far outside every range we accept; clamp for the range message
            return big.signum() < 0 ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
        return big.longValue();
    }

    private String string(String name, boolean required, int maxLength, String... aliases) {
        JsonNode node = take(name, required, aliases);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(name + " must be a string, got " + describe(node));
            return null;
        }
        String v = node.textValue();
        if (v.length() > maxLength) {
            errors.add(name + " is too long (" + v.length() + " characters)");
            return null;
        }
        return v;
    }

    /** The value of {@code name} or one of its aliases; equal duplicates are fine, different ones are an error. */
    private JsonNode take(String name, boolean required, String... aliases) {
        accepted.add(name);
        JsonNode found = null;
        String foundAs = null;
        List<String> names = new ArrayList<>();
        names.add(name);
        names.addAll(List.of(aliases));
        for (String n : names) {
            accepted.add(n);
            JsonNode v = input.get(n);
            if (v == null) {
                continue;
            }
            if (found == null) {
                found = v;
                foundAs = n;
            } else if (!found.equals(v)) {
                errors.add("Conflicting values for " + name + ": " + foundAs + "=" + shown(found.toString()) + " but " + n + "="
                        + shown(v.toString()));
                return null;
            }
        }
        if (found == null) {
            if (required) {
                errors.add("Missing required field: " + name);
            }
            return null;
        }
        if (found.isNull()) {
            errors.add(name + " must not be null");
            return null;
        }
        return found;
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "the string " + shown("\"" + node.textValue() + "\"");
        }
        if (node.isBoolean()) {
            return "the boolean " + node.booleanValue();
        }
        if (node.isNumber()) {
            return "the number " + shown(node.asText());
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.getNodeType().toString().toLowerCase();
    }

    /** A value echoed in a message: cut to 64 characters so a huge input does not produce a huge error. */
    private static String shown(String v) {
        return v.length() <= 64 ? v : v.substring(0, 64) + "…";
    }
}
