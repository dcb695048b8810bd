package io.tidemark.cluster.swarm;

import static io.tidemark.cluster.swarm.Json.map;
import static io.tidemark.cluster.swarm.Json.string;

import io.tidemark.desired.compose.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts top-level compose configs and secrets into config and secret specs. Swarm configs and
 * secrets are immutable, so each gets its content hash in its name ({@code <stack>_<name>-<10 hex
 * of sha256>}): a content change is a new object that services are pointed at. External ones are
 * only referenced, by name.
 */
final class FileObjects {

  static final int HASH_CHARS = 10;

  /** The engine refuses secret data of 512000 bytes or more (swarmkit's limit, measured). */
  static final long MAX_SECRET_BYTES = 511_999;

  /** The engine refuses config data of 1024000 bytes or more (swarmkit's limit, measured). */
  static final long MAX_CONFIG_BYTES = 1_023_999;

  private FileObjects() {}

  /** Config specs by engine name; fills {@code ctx.configNames}. */
  static Map<String, Map<String, Object>> configs(StackContext ctx) {
    return convert(ctx, "configs", false, ctx.configNames);
  }

  /** Secret specs by engine name; fills {@code ctx.secretNames}. */
  static Map<String, Map<String, Object>> secrets(StackContext ctx) {
    return convert(ctx, "secrets", true, ctx.secretNames);
  }

  private static Map<String, Map<String, Object>> convert(
      StackContext ctx, String section, boolean secret, Map<String, String> names) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    ctx.project
        .section(section)
        .forEach(
            (key, value) -> {
              Map<String, Object> object = map(value);
              List<String> path = List.of(section, key);
              String explicit = string(object.get("name"));
              if (object.get("external") != null && Units.bool(object.get("external"))) {
                names.put(key, explicit.isEmpty() ? key : explicit);
                return;
              }
              String base = explicit.isEmpty() ? ctx.scope(key) : explicit;
              String driver = secret ? string(object.get("driver")) : "";
              byte[] data;
              boolean decrypted = false;
              if (!driver.isEmpty()) {
                data = new byte[0];
              } else if (object.get("file") == null) {
                ctx.error(path, "needs a file (or external: true)");
                return;
              } else {
                try {
                  RepoFiles.Content content = read(ctx, string(object.get("file")), secret);
                  data = content.bytes();
                  decrypted = content.decrypted();
                } catch (RepoFiles.PathException e) {
                  ctx.error(List.of(section, key, "file"), e.getMessage());
                  return;
                }
              }
              // The hash is of the plain content: a file encrypted again with the same plain text
              // (new data key, new IVs) names the same object, so nothing rotates.
              String hashed = hashedName(base, data, driver, object);
              names.put(key, hashed);
              if (decrypted) {
                ctx.decrypted.add(hashed);
              }
              Map<String, Object> spec = new LinkedHashMap<>();
              spec.put("Name", hashed);
              spec.put("Labels", ctx.ownedLabels(Json.stringMap(object.get("labels"))));
              if (data.length > 0) {
                spec.put("Data", Base64.getEncoder().encodeToString(data));
              }
              if (!driver.isEmpty()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("Name", driver);
                Map<String, String> options = Json.stringMap(object.get("driver_opts"));
                if (!options.isEmpty()) {
                  d.put("Options", new LinkedHashMap<String, Object>(new TreeMap<>(options)));
                }
                spec.put("Driver", d);
              }
              String template = string(object.get("template_driver"));
              if (!template.isEmpty()) {
                spec.put("Templating", Json.obj("Name", template));
              }
              out.put(hashed, spec);
            });
    return out;
  }

  /**
   * The file's bytes, checked against the engine's limits before anything is read: a secret holds
   * less than 512000 bytes, a config less than 1024000, and neither may be empty. A large file in
   * the repository is thus never loaded just to be refused by the engine at apply.
   */
  private static RepoFiles.Content read(StackContext ctx, String file, boolean secret)
      throws RepoFiles.PathException {
    RepoFiles files = ctx.project.files();
    long limit = secret ? MAX_SECRET_BYTES : MAX_CONFIG_BYTES;
    long size;
    try {
      size = java.nio.file.Files.size(files.resolve(ctx.project.folder(), file));
    } catch (java.io.IOException e) {
      throw new RepoFiles.PathException("file \"" + file + "\" cannot be read");
    }
    if (size == 0) {
      throw new RepoFiles.PathException(
          "file \"" + file + "\" is empty; the engine refuses an empty " + what(secret));
    }
    if (size > limit) {
      throw new RepoFiles.PathException(
          "file \""
              + file
              + "\" is "
              + size
              + " bytes; a Swarm "
              + what(secret)
              + " holds at most "
              + limit);
    }
    RepoFiles.Content content = files.read(ctx.project.folder(), file);
    if (content.bytes().length == 0) {
      throw new RepoFiles.PathException(
          "file \"" + file + "\" decrypts to nothing; the engine refuses an empty " + what(secret));
    }
    return content;
  }

  private static String what(boolean secret) {
    return secret ? "secret" : "config";
  }

  /** The base name with the first hex characters of the content's (or driver's) SHA-256. */
  static String hashedName(String base, byte[] data, String driver, Map<String, Object> object) {
    byte[] hashed = data;
    if (!driver.isEmpty()) {
      hashed =
          (driver + "\n" + new TreeMap<>(Json.stringMap(object.get("driver_opts"))))
              .getBytes(StandardCharsets.UTF_8);
    }
    return base + "-" + sha256(hashed).substring(0, HASH_CHARS);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
