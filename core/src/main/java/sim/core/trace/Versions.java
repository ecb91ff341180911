package sim.core.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Which simulator and which model module produced a trace: written in the JSONL header. */
public final class Versions {
  private static final String GROUP = "dev.internalsim";

  private Versions() {}

  /** The simulator's version (the Maven project version all modules share). */
  public static String simulator() {
    String v = read(Versions.class, "/sim/core/version.properties", "version");
    return v == null || v.startsWith("${") ? "unknown" : v;
  }

  /**
   * The module a model class comes from, by its package: {@code sim.kafka.…} is {@code kafka-sim},
   * {@code sim.example.…} (the kernel's worked example) is {@code core}.
   */
  public static String module(Class<?> modelClass) {
    String[] parts = modelClass.getName().split("\\.");
    if (parts.length < 3 || !parts[0].equals("sim")) return "unknown";
    if (parts[1].equals("example") || parts[1].equals("core")) return "core";
    return parts[1] + "-sim";
  }

  /**
   * The module's version: from its jar's Maven descriptor when it runs from a jar, else the simulator's (the
   * modules are built and versioned together).
   */
  public static String moduleVersion(Class<?> modelClass) {
    String v = read(modelClass, "/META-INF/maven/" + GROUP + "/" + module(modelClass) + "/pom.properties", "version");
    return v == null ? simulator() : v;
  }

  private static String read(Class<?> anchor, String resource, String key) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) return null;
      Properties p = new Properties();
      p.load(in);
      return p.getProperty(key);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }
}
