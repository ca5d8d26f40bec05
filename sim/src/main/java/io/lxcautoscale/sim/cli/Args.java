package io.lxcautoscale.sim.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments the way Proxmox's CLI takes them: positionals plus {@code --opt value},
 * {@code -opt value} or {@code --opt=value}; boolean options may omit their value.
 */
final class Args {
    private static final Set<String> BOOLEAN_WORDS = Set.of("0", "1", "true", "false", "yes", "no", "on", "off");
    final List<String> positional = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();

    static Args parse(List<String> argv, Set<String> booleans, Set<String> known, String usage) {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.startsWith("-") && arg.length() > 1 && !arg.matches("-?\\d+(\\.\\d+)?[KMGT]?")) {
                String name = arg.replaceFirst("^--?", "");
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!known.contains(name)) {
                    throw new CliFailure("Unknown option: " + name + "\n400 unable to parse option\n" + usage, 255);
                }
                if (value == null) {
                    if (booleans.contains(name)) {
                        if (i + 1 < argv.size() && BOOLEAN_WORDS.contains(argv.get(i + 1).toLowerCase(Locale.ROOT))) {
                            value = argv.get(++i);
                        } else {
                            value = "1";
                        }
                    } else if (i + 1 < argv.size()) {
                        value = argv.get(++i);
                    } else {
                        throw new CliFailure("Option " + name + " requires an argument\n400 unable to parse option\n" + usage, 255);
                    }
                }
                if (booleans.contains(name)) {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!BOOLEAN_WORDS.contains(v)) {
                        throw CliFailure.param(usage, name, "type check ('boolean') failed - got '" + value + "'");
                    }
                    value = Set.of("1", "true", "yes", "on").contains(v) ? "1" : "0";
                }
                a.options.put(name, value);
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return "1".equals(options.get(name));
    }

    String option(String name) {
        return options.get(name);
    }
}
