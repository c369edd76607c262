package dev.parley.client.mls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MLS working group's test vectors in the line format Bouncy Castle keeps them in (see
 * src/test/resources/mls-test-vectors/README.md): {@code key = value} lines, a blank line after each
 * test case, and {@code nameSTART ... nameSTOP} around a nested array, whose entries are either
 * values, one a line, or test cases of their own.
 */
final class VectorFile {
    private static final HexFormat HEX = HexFormat.of();

    /** One test case. */
    record Case(Map<String, String> fields, Map<String, List<String>> lists, Map<String, List<Case>> groups) {
        String text(String key) {
            String value = fields.get(key);
            if (value == null) {
                throw new IllegalArgumentException("no field " + key + " in " + fields.keySet());
            }
            return value;
        }

        byte[] hex(String key) {
            return HEX.parseHex(text(key));
        }

        int number(String key) {
            return Integer.parseUnsignedInt(text(key));
        }
    }

    private final List<String> lines;
    private int next;

    private VectorFile(List<String> lines) {
        this.lines = lines;
    }

    static List<Case> read(String name) throws IOException {
        try (InputStream in = VectorFile.class.getResourceAsStream("/mls-test-vectors/" + name)) {
            if (in == null) {
                throw new IOException("no test vector file " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            VectorFile file = new VectorFile(text.lines().map(String::trim).toList());
            return file.cases(null);
        }
    }

    /** Reads test cases until {@code stop} (or the end), one per blank-line-separated block. */
    private List<Case> cases(String stop) {
        List<Case> cases = new ArrayList<>();
        Case current = empty();
        while (next < lines.size()) {
            String line = lines.get(next++);
            if (line.equals(stop)) {
                break;
            }
            if (line.isEmpty()) {
                if (!current.fields().isEmpty() || !current.groups().isEmpty() || !current.lists().isEmpty()) {
                    cases.add(current);
                    current = empty();
                }
            } else if (line.endsWith("START")) {
                String name = line.substring(0, line.length() - "START".length());
                if (isNestedCases(name)) {
                    current.groups().put(name, cases(name + "STOP"));
                } else {
                    current.lists().put(name, values(name + "STOP"));
                }
            } else {
                int equals = line.indexOf('=');
                String value = line.substring(equals + 1).trim();
                if (!value.isEmpty()) {
                    current.fields().put(line.substring(0, equals).trim(), value);
                }
            }
        }
        if (!current.fields().isEmpty()) {
            cases.add(current);
        }
        return cases;
    }

    private boolean isNestedCases(String name) {
        for (int i = next; i < lines.size() && !lines.get(i).equals(name + "STOP"); i++) {
            if (lines.get(i).contains("=")) {
                return true;
            }
        }
        return false;
    }

    private List<String> values(String stop) {
        List<String> values = new ArrayList<>();
        while (next < lines.size()) {
            String line = lines.get(next++);
            if (line.equals(stop)) {
                break;
            }
            values.add(line);
        }
        return values;
    }

    private static Case empty() {
        return new Case(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }
}
