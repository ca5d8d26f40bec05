package io.lxcautoscale.bench.docs;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.monitor.MonitorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates {@code docs/configuration.md} from the three shipped YAML files: every key with its comment
 * and the default the code really uses (read by loading an empty file through the daemon's binder).
 *
 * <p>Run from the repository root: {@code java -cp bench/target/classes:... io.lxcautoscale.bench.docs.ConfigReference}
 * (or {@code mvn -q -pl bench exec:java}); a test fails when the committed document is out of date.
 */
public final class ConfigReference {
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-]+):(.*)$");

    /** One shipped file and the binder of the daemon that reads it. */
    public record Source(String file, String daemon, Function<ConfigNode, ?> binder) {
    }

    public static final List<Source> SOURCES = List.of(
            new Source("lxc_monitor.yaml", "lxc_monitor (monitor)", MonitorConfig::bind),
            new Source("lxc_autoscale_ml.yaml", "lxc_autoscale_ml (model)", ModelConfig::bind),
            new Source("lxc_autoscale_api.yaml", "lxc_autoscale_api (REST API)", ApiConfig::bind));

    private ConfigReference() {
    }

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(args.length > 0 ? args[0] : ".");
        Path out = repo.resolve("docs/configuration.md");
        Files.writeString(out, render(repo.resolve("etc")), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    public static String render(Path etcDir) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from the shipped files in `etc/` by `io.lxcautoscale.bench.docs.ConfigReference`;\n")
                .append("a test fails when this page, the shipped files or the code's defaults disagree.\n\n")
                .append("All three files live in `/etc/lxc_autoscale_ml/`. Each daemon reads its file at start;\n")
                .append("`--config PATH` or an environment variable points elsewhere, and `--check-config` validates a file\n")
                .append("and prints the effective values. An invalid value stops the daemon with exit code 2 and a message\n")
                .append("naming the file, the key, the value and what is allowed; an unknown key is a warning naming the\n")
                .append("closest known key; an empty file or section means the defaults below.\n\n")
                .append("`systemctl reload <unit>` (SIGHUP) reads the file again: a valid file takes effect without a\n")
                .append("restart, except the keys listed as \"needs restart\" in [systemd.md](systemd.md#reload); an invalid\n")
                .append("one is logged with the `--check-config` message and the running settings stay.\n\n");
        for (Source source : SOURCES) {
            Path file = etcDir.resolve(source.file());
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Map<String, Object> defaults = ConfigLoader.parse("(defaults)", "", source.binder()).effective();
            md.append("## `").append(source.file()).append("` — ").append(source.daemon()).append("\n\n");
            renderFile(text, defaults, md);
            md.append('\n');
        }
        return md.toString();
    }

    private static void renderFile(String text, Map<String, Object> defaults, StringBuilder md) {
        List<String> pendingComment = new ArrayList<>();
        Deque<String[]> stack = new ArrayDeque<>(); // {indent, key}
        boolean tableOpen = false;
        String tableSection = null;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                pendingComment.add(trimmed.replaceFirst("^#\\s?", ""));
                continue;
            }
            if (trimmed.isEmpty()) {
                // A comment block followed by a blank line is a paragraph of its own, not a key's meaning.
                if (!pendingComment.isEmpty()) {
                    md.append(tableOpen ? "\n" : "").append(String.join("\n", pendingComment)).append("\n\n");
                    pendingComment.clear();
                    tableOpen = false;
                }
                continue;
            }
            Matcher m = KEY_LINE.matcher(line);
            if (!m.matches() || trimmed.startsWith("-")) {
                continue; // list items belong to the key above
            }
            int indent = m.group(1).length();
            while (!stack.isEmpty() && Integer.parseInt(stack.peek()[0]) >= indent) {
                stack.pop();
            }
            List<String> parts = new ArrayList<>();
            stack.descendingIterator().forEachRemaining(p -> parts.add(p[1]));
            parts.add(m.group(2));
            String path = String.join(".", parts);
            String description = String.join(" ", pendingComment).replace("|", "\\|");
            pendingComment.clear();
            Object value = lookup(defaults, parts);
            if (value instanceof Map<?, ?>) {
                stack.push(new String[] {Integer.toString(indent), m.group(2)});
                md.append(tableOpen ? "\n" : "").append("### `").append(path).append("`\n\n");
                if (!description.isEmpty()) {
                    md.append(description).append("\n\n");
                }
                md.append("| key | default | meaning |\n|---|---|---|\n");
                tableOpen = true;
                tableSection = path;
                continue;
            }
            String section = parts.size() > 1 ? String.join(".", parts.subList(0, parts.size() - 1)) : "";
            if (!tableOpen || !section.equals(tableSection)) {
                md.append(tableOpen ? "\n" : "").append(section.isEmpty() ? "### Top-level keys" : "### `" + section + "` (continued)")
                        .append("\n\n| key | default | meaning |\n|---|---|---|\n");
                tableOpen = true;
                tableSection = section;
            }
            md.append("| `").append(path).append("` | ").append(render(value)).append(" | ").append(description).append(" |\n");
        }
        if (!pendingComment.isEmpty()) {
            md.append('\n').append(String.join("\n", pendingComment)).append('\n');
        }
    }

    private static Object lookup(Map<String, Object> defaults, List<String> parts) {
        Object node = defaults;
        for (String part : parts) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return "(not read by the code)";
            }
            node = map.get(part);
        }
        return node;
    }

    private static String render(Object value) {
        if (value == null) {
            return "(not set)";
        }
        if (value instanceof List<?> list) {
            return "`" + list + "`";
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return "`" + d.longValue() + "`";
        }
        return "`" + value + "`";
    }
}
