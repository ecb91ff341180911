package sim.redis.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An entry of the command table (server.c's redisCommand), as Redis 7.0's commands/*.json describe it: name,
 * arity (positive = exact argc, negative = at least -arity), flags, ACL categories, key specs, subcommands,
 * and our handler ({@code null} where redis-sim does not implement it).
 */
public final class Command {
  @FunctionalInterface
  public interface Handler {
    void run(Call call);
  }

  private final String name;
  private final String fullName;
  private final int arity;
  private final Set<String> flags;
  private final List<String> aclCategories;
  private final List<KeySpec> keySpecs;
  private final JsonNode doc;
  private final Map<String, Command> subcommands;
  private final Handler handler;

  Command(String name, String fullName, int arity, Set<String> flags, List<String> aclCategories, List<KeySpec> keySpecs,
      JsonNode doc, Map<String, Command> subcommands, Handler handler) {
    this.name = name;
    this.fullName = fullName;
    this.arity = arity;
    this.flags = flags;
    this.aclCategories = aclCategories;
    this.keySpecs = keySpecs;
    this.doc = doc;
    this.subcommands = subcommands;
    this.handler = handler;
  }

  /** Lowercase name ("get", or "get" for CONFIG GET). */
  public String name() {
    return name;
  }

  /** "get", or "config|get" for a subcommand, as error texts and INFO commandstats name it. */
  public String fullName() {
    return fullName;
  }

  public int arity() {
    return arity;
  }

  public boolean arityOk(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  public boolean hasFlag(String flag) {
    return flags.contains(flag);
  }

  public boolean write() {
    return flags.contains("WRITE");
  }

  public Set<String> flags() {
    return flags;
  }

  public List<String> aclCategories() {
    return aclCategories;
  }

  public List<KeySpec> keySpecs() {
    return keySpecs;
  }

  /** The JSON Redis describes it with (summary, since, group, complexity, arguments...). */
  public JsonNode doc() {
    return doc;
  }

  public Map<String, Command> subcommands() {
    return subcommands;
  }

  public boolean isContainer() {
    return !subcommands.isEmpty();
  }

  public Command subcommand(String name) {
    Command c = subcommands.get(name);
    return c != null ? c : subcommands.get(name.toLowerCase(Locale.ROOT));
  }

  public Handler handler() {
    return handler;
  }

  public boolean implemented() {
    return handler != null;
  }

  @Override
  public String toString() {
    return fullName;
  }
}
