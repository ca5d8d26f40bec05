package io.lxcautoscale.common.config;

import java.util.List;

/** A configuration file that cannot be used; the message names the file, every bad key, its value and what is allowed. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String file, List<String> problems) {
        super("invalid configuration " + file + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
