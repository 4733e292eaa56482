package dev.kassa.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kassa.bench.drain.DrainResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one invocation's runs, and its sink drain when it replayed the event log, as
 * {@code report.json} and {@code report.html} into a directory.
 */
public final class ReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {
    }

    /** Writes both files; returns the directory. */
    public static Path write(Path directory, List<RunResult> runs, List<DrainResult> drains, String rulesText,
                             Map<String, Object> environment)
            throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("generated", Instant.now().toString());
        document.put("environment", environment);
        document.put("fraud_rules", rulesText);
        document.put("ratios", Summary.ratios(runs));
        document.put("runs", runs);
        document.put("sink_drains", drains);
        Files.writeString(directory.resolve("report.json"), JSON.writeValueAsString(document), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("report.html"), HtmlReport.render(runs, drains, rulesText, environment),
                StandardCharsets.UTF_8);
        return directory;
    }
}
