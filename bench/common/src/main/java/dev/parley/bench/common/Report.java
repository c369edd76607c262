package dev.parley.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures, printed as the bench goes (so a long run shows its progress) and gathered for the
 * results file {@code bench/results/<bench>-<date>[-<label>].txt} at the end.
 */
public final class Report {

    private final List<String> lines = new ArrayList<>();

    public void section(String title) {
        lines.add("");
        lines.add("== " + title);
        System.out.println("[bench] == " + title);
    }

    public void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        lines.add(text);
        System.out.println("[bench] " + text);
    }

    /**
     * Writes every line to {@code bench/results/<bench>-<today, UTC>[-<label>].txt} under
     * {@code repository}, prints them again in one piece (the progress lines scroll away) and
     * says where they went.
     */
    void writeResults(Path repository, String bench, String label) throws IOException {
        Path file = repository.resolve("bench/results/" + bench + "-" + LocalDate.now(ZoneOffset.UTC)
                + (label.isBlank() ? "" : "-" + label) + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text());
        System.out.println();
        System.out.println("=".repeat(100));
        System.out.print(text());
        System.out.println("=".repeat(100));
        System.out.println("[bench] written to " + repository.relativize(file));
    }

    public static String mib(double bytes) {
        return String.format("%.1f MiB", bytes / (1024 * 1024));
    }

    public static String kib(double bytes) {
        return String.format("%.1f KiB", bytes / 1024);
    }

    private String text() {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }
}
