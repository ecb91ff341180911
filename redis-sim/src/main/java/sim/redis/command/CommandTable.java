package sim.redis.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis 7.0's command table, read from {@code commands-7.0.json} (regenerated from Redis's own
 * src/commands/*.json by {@code redis-sim/scripts/gen-command-table.py}): every command and subcommand with
 * its arity, flags, ACL categories and key specs, joined with the handlers redis-sim implements
 * ({@link Handlers}). A command Redis has and we do not is in the table without a handler and answers as
 * unknown. Immutable and shared.
 */
public final class CommandTable {
  private static final CommandTable INSTANCE = load();

  private final String redisVersion;
  private final Map<String, Command> commands; // lowercase name → command
  private final Map<String, Command> byUpper; // as clients usually send them, to avoid lowercasing per call

  private CommandTable(String redisVersion, Map<String, Command> commands) {
    this.redisVersion = redisVersion;
    this.commands = commands;
    Map<String, Command> upper = new HashMap<>();
    for (Command c : commands.values()) upper.put(c.name().toUpperCase(Locale.ROOT), c);
    this.byUpper = upper;
  }

  public static CommandTable get() {
    return INSTANCE;
  }

  public String redisVersion() {
    return redisVersion;
  }

  /** Every top-level command Redis 7.0 has, by name. */
  public Map<String, Command> all() {
    return commands;
  }

  /** Case-insensitive lookup of a top-level command (implemented or not), null when Redis has none. */
  public Command lookupName(String name) {
    Command c = commands.get(name);
    if (c == null) c = byUpper.get(name);
    return c != null ? c : commands.get(name.toLowerCase(Locale.ROOT));
  }

  /** A top-level command we implement, or null (the AOF loader and tests use this). */
  public Command lookup(String name) {
    Command c = lookupName(name);
    return c != null && (c.implemented() || c.isContainer()) ? c : null;
  }

  /**
   * lookupCommandLogic: argv[0], and argv[1] as the subcommand of a container. Null when unknown; a container
   * with an unknown subcommand gives null too (the caller tells them apart with {@link #lookupName}).
   */
  public Command lookup(List<String> argv) {
    Command base = lookupName(argv.get(0));
    if (base == null) return null;
    if (argv.size() == 1 || !base.isContainer()) return base.implemented() ? base : null;
    Command sub = base.subcommand(argv.get(1));
    return sub != null && sub.implemented() ? sub : null;
  }

  /** lookupCommandBySds: "config|get" or "get". */
  public Command lookupFullName(String fullName) {
    String[] parts = fullName.split("\\|", -1);
    if (parts.length > 2) return null;
    Command base = lookupName(parts[0]);
    if (base == null) return null;
    if (parts.length == 1) return base.isContainer() || base.implemented() ? base : null;
    Command sub = base.subcommand(parts[1]);
    return sub != null && sub.implemented() ? sub : null;
  }

  private static CommandTable load() {
    try (InputStream in = CommandTable.class.getResourceAsStream("commands-7.0.json")) {
      if (in == null) throw new IllegalStateException("commands-7.0.json missing from the classpath");
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, Command.Handler> handlers = Handlers.all();
      Map<String, Command> out = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = root.path("commands").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Command c = build(e.getKey().toLowerCase(Locale.ROOT), null, e.getValue(), handlers);
        out.put(c.name(), c);
      }
      for (String h : handlers.keySet()) {
        if (resolve(out, h) == null) throw new IllegalStateException("handler for " + h + " but Redis 7.0 has no such command");
      }
      return new CommandTable(root.path("redis_version").asText(), Collections.unmodifiableMap(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Command resolve(Map<String, Command> table, String fullName) {
    String[] parts = fullName.split("\\|");
    Command c = table.get(parts[0]);
    return c == null || parts.length == 1 ? c : c.subcommands().get(parts[1]);
  }

  private static Command build(String name, String container, JsonNode spec, Map<String, Command.Handler> handlers) {
    String full = container == null ? name : container + "|" + name;
    LinkedHashSet<String> flags = new LinkedHashSet<>();
    spec.path("command_flags").forEach(f -> flags.add(f.asText()));
    List<String> acl = new ArrayList<>();
    spec.path("acl_categories").forEach(f -> acl.add(f.asText()));
    List<KeySpec> keySpecs = new ArrayList<>();
    spec.path("key_specs").forEach(k -> keySpecs.add(KeySpec.parse(k)));
    Map<String, Command> subs = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = spec.path("subcommands").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Command sub = build(e.getKey().toLowerCase(Locale.ROOT), name, e.getValue(), handlers);
      subs.put(sub.name(), sub);
    }
    return new Command(name, full, spec.path("arity").asInt(), Collections.unmodifiableSet(flags), List.copyOf(acl),
        List.copyOf(keySpecs), spec, Collections.unmodifiableMap(subs), handlers.get(full));
  }
}
