package dev.parley.bench.signaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The figures, printed as the bench goes and gathered for the results file. */
final class Report {

    private final List<String> lines = new ArrayList<>();

    void section(String title) {
        lines.add("");
        lines.add("== " + title);
        System.out.println("[bench] == " + title);
    }

    void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        lines.add(text);
        System.out.println("[bench] " + text);
    }

    String text() {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text());
    }

    static String mib(double bytes) {
        return String.format("%.1f MiB", bytes / (1024 * 1024));
    }

    static String kib(double bytes) {
        return String.format("%.1f KiB", bytes / 1024);
    }
}
