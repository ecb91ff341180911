package sim.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The module's CQL scripts ({@code scripts/*.cql}) and their golden outputs ({@code scripts/golden/*.jsonl}). */
final class Scripts {
  static final Path DIR = Path.of("scripts");

  private Scripts() {}

  static List<Path> all() {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".cql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String name(Path script) {
    String f = script.getFileName().toString();
    return f.substring(0, f.length() - ".cql".length());
  }

  static Path golden(Path script) {
    return DIR.resolve("golden").resolve(name(script) + ".jsonl");
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
