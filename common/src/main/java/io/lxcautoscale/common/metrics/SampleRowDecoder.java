package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;

import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decodes snapshots with Jackson's streaming parser straight into {@link SampleRow}s: no JSON tree,
 * only the fields a {@link SampleFields} wants are decoded, the rest is skipped; the summary is skipped
 * unless a summary consumer is given (it is small: one tree a snapshot).
 * The rows of a snapshot are held until the whole snapshot parsed, so a corrupt one delivers nothing,
 * and are reused for the next snapshot. A container value that is not an object yields a row without
 * a timestamp. A key repeated within the snapshot object, a sample, or a wanted nested object makes the
 * snapshot corrupt, as in the tree path; inside parts that are skipped, repeats are not looked for.
 * Not thread-safe.
 */
public final class SampleRowDecoder implements SnapshotDecoder {
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /**
     * The project's factory without Jackson's duplicate detection, which builds a hash set per object;
     * duplicates are found here instead, among the keys of each object walked (see {@link #checkUnique}).
     */
    private static final JsonFactory FACTORY = Json.mapper().getFactory().copy()
            .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final JsonFactory factory = FACTORY;
    /** The keys seen so far in each object being walked (a stack of levels), to reject duplicates. */
    private String[] names = new String[256];
    private int namesTop;
    private final SampleFields fields;
    private final EpochSecondParser time;
    private final SampleSink sink;
    private final Consumer<JsonNode> summarySink;
    private JsonNode parsedSummary;
    private final List<SampleRow> rows = new ArrayList<>();
    private int parsedRows;
    private SampleRow treeRow;

    /**
     * @param fields what to read from each container sample
     * @param zone   the zone of timestamps without offset (the original's naive local times)
     * @param sink   receives each container sample of a delivered snapshot, in file order
     */
    public SampleRowDecoder(SampleFields fields, ZoneId zone, SampleSink sink) {
        this(fields, zone, sink, null);
    }

    /**
     * As {@link #SampleRowDecoder(SampleFields, ZoneId, SampleSink)}, and a snapshot's {@code "summary"}
     * (as a tree) goes to {@code summarySink} after its rows, when the snapshot has one.
     */
    public SampleRowDecoder(SampleFields fields, ZoneId zone, SampleSink sink, Consumer<JsonNode> summarySink) {
        this.fields = Objects.requireNonNull(fields, "fields");
        this.time = new EpochSecondParser(zone);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.summarySink = summarySink;
    }

    @Override
    public void parse(byte[] bytes, int offset, int length) throws IOException {
        parsedRows = 0;
        parsedSummary = null;
        namesTop = 0;
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object but " + kind(token));
            }
            SampleFields.Node root = fields.root();
            int level = namesTop;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                checkUnique(parser, level, key);
                token = parser.nextToken();
                if (Snapshot.SUMMARY_KEY.equals(key)) {
                    if (summarySink == null) {
                        parser.skipChildren();
                    } else {
                        parsedSummary = Json.mapper().readTree(parser);
                    }
                    continue;
                }
                SampleRow row = nextRow(key);
                if (token == JsonToken.START_OBJECT) {
                    readSample(parser, root, row);
                } else {
                    parser.skipChildren();
                    row.setTimestampProblem("the sample is not a JSON object but " + kind(token));
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("data after the JSON object");
            }
        } catch (IOException | RuntimeException e) {
            parsedRows = 0;
            parsedSummary = null;
            throw e;
        }
    }

    @Override
    public void deliver() {
        for (int i = 0; i < parsedRows; i++) {
            sink.sample(rows.get(i));
        }
        if (summarySink != null && parsedSummary != null) {
            summarySink.accept(parsedSummary);
        }
    }

    /**
     * The same row for a sample already parsed into a tree (e.g. a {@link Snapshot}), with the same
     * meaning as the streaming path. The row is reused by the next call.
     */
    public SampleRow fromTree(String vmid, JsonNode sample) {
        if (treeRow == null) {
            treeRow = new SampleRow(fields);
        }
        treeRow.reset(vmid);
        if (sample == null || !sample.isObject()) {
            treeRow.setTimestampProblem("the sample is not a JSON object");
            return treeRow;
        }
        JsonNode timestamp = sample.get("timestamp");
        if (timestamp != null && timestamp.isTextual()) {
            if (fields.timestampTextSlot() >= 0) {
                treeRow.setText(fields.timestampTextSlot(), timestamp.asText());
            }
            try {
                treeRow.setEpochSecond(time.parse(timestamp.asText()));
            } catch (DateTimeParseException e) {
                treeRow.setTimestampProblem(e.getMessage());
            }
        }
        fill(sample, fields.root(), treeRow);
        return treeRow;
    }

    private static void fill(JsonNode object, SampleFields.Node node, SampleRow row) {
        for (Iterator<Map.Entry<String, SampleFields.Node>> it = node.children.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, SampleFields.Node> e = it.next();
            JsonNode value = object.get(e.getKey());
            SampleFields.Node child = e.getValue();
            if (value == null) {
                continue;
            }
            if (value.isNumber() && child.numberSlot >= 0) {
                row.setNumber(child.numberSlot, value.asDouble());
            } else if (value.isTextual() && child.textSlot >= 0) {
                row.setText(child.textSlot, value.asText());
            } else if (value.isArray() && child.textListSlot >= 0) {
                row.startTexts(child.textListSlot);
                for (JsonNode element : value) {
                    if (element.isTextual()) {
                        String text = element.asText();
                        row.addText(child.textListSlot, text.toCharArray(), 0, text.length());
                    }
                }
            } else if (value.isObject()) {
                if (child.objectSlot >= 0) {
                    row.setNumber(child.objectSlot, 1);
                }
                fill(value, child, row);
            }
        }
    }

    private SampleRow nextRow(String vmid) {
        if (parsedRows == rows.size()) {
            rows.add(new SampleRow(fields));
        }
        SampleRow row = rows.get(parsedRows++);
        row.reset(vmid);
        return row;
    }

    /** Reads one object's fields (the parser is at its START_OBJECT) into the row. */
    private void readSample(JsonParser parser, SampleFields.Node node, SampleRow row) throws IOException {
        boolean top = node == fields.root();
        int level = namesTop;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            checkUnique(parser, level, name);
            JsonToken token = parser.nextToken();
            if (top && "timestamp".equals(name)) {
                readTimestamp(parser, token, row);
                continue;
            }
            SampleFields.Node child = node.child(name);
            if (child == null) {
                parser.skipChildren();
                continue;
            }
            switch (token) {
                case START_OBJECT -> {
                    if (child.objectSlot >= 0) {
                        row.setNumber(child.objectSlot, 1);
                    }
                    readSample(parser, child, row);
                }
                case START_ARRAY -> {
                    if (child.textListSlot >= 0) {
                        readTexts(parser, child.textListSlot, row);
                    } else {
                        parser.skipChildren();
                    }
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    if (child.numberSlot >= 0) {
                        row.setNumber(child.numberSlot, number(parser, token));
                    }
                }
                case VALUE_STRING -> {
                    if (child.textSlot >= 0) {
                        row.setText(child.textSlot, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    }
                }
                default -> parser.skipChildren();
            }
        }
        namesTop = level;
    }

    /** Reads an array's string elements (the parser is at its START_ARRAY) into a list slot; others are skipped. */
    private static void readTexts(JsonParser parser, int slot, SampleRow row) throws IOException {
        row.startTexts(slot);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            if (token == JsonToken.VALUE_STRING) {
                row.addText(slot, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            } else {
                parser.skipChildren();
            }
        }
    }

    /**
     * Rejects {@code name} if the object whose keys start at {@code level} of the stack had it already.
     * Jackson hands out field names canonicalised, so most comparisons are by reference.
     */
    private void checkUnique(JsonParser parser, int level, String name) throws JsonParseException {
        int hash = name.hashCode();
        for (int i = level; i < namesTop; i++) {
            String seen = names[i];
            if (seen == name || (seen.hashCode() == hash && seen.equals(name))) {
                throw new JsonParseException(parser, "Duplicate field '" + name + "'");
            }
        }
        if (namesTop == names.length) {
            names = java.util.Arrays.copyOf(names, names.length * 2);
        }
        names[namesTop++] = name;
    }

    private void readTimestamp(JsonParser parser, JsonToken token, SampleRow row) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            row.setTimestampProblem("\"timestamp\" is not a string but " + kind(token));
            return;
        }
        if (fields.timestampTextSlot() >= 0) {
            row.setText(fields.timestampTextSlot(), parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        }
        try {
            row.setEpochSecond(time.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength()));
        } catch (DateTimeParseException e) {
            row.setTimestampProblem(e.getMessage());
        }
    }

    private static double number(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = parser.getNumberType();
            if (type == JsonParser.NumberType.INT) {
                return parser.getIntValue();
            }
            return type == JsonParser.NumberType.LONG ? parser.getLongValue() : parser.getDoubleValue();
        }
        double value = decimal(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        return Double.isNaN(value) ? parser.getDoubleValue() : value;
    }

    /**
     * A plain decimal ({@code -12.345}, at most 15 digits, no exponent) as the nearest double, or NaN
     * for any other shape. Exact: the digits and the power of ten are both exact doubles, and one
     * IEEE division rounds correctly, as {@link Double#parseDouble} does.
     */
    static double decimal(char[] c, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = i < end && c[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        boolean point = false;
        for (; i < end; i++) {
            char ch = c[i];
            if (ch >= '0' && ch <= '9') {
                mantissa = mantissa * 10 + (ch - '0');
                digits++;
                if (point) {
                    fractionDigits++;
                }
            } else if (ch == '.' && !point) {
                point = true;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0 || digits > 15) {
            return Double.NaN;
        }
        double value = mantissa / POWERS_OF_TEN[fractionDigits];
        return negative ? -value : value;
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }
}
