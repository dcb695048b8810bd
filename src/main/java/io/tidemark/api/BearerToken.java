package io.tidemark.api;

import io.tidemark.config.TidemarkConfig;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks bearer tokens in constant time: the API token for mutating routes, and, when reads are
 * protected, the API token or the read token for the read API; with no token configured, nobody
 * passes.
 */
@Singleton
public class BearerToken {

  private static final String PREFIX = "Bearer ";

  private final Optional<byte[]> token;
  private final Optional<byte[]> readToken;
  private final boolean protectReads;

  public BearerToken(TidemarkConfig config) {
    this.token =
        bytes(
            config.api().token(),
            config.api().tokenFile().map(f -> read(f, "tidemark.api.token-file")));
    this.readToken =
        bytes(
            config.api().readToken(),
            config.api().readTokenFile().map(f -> read(f, "tidemark.api.read-token-file")));
    this.protectReads = config.api().protectReads();
  }

  private static Optional<byte[]> bytes(Optional<String> value, Optional<String> fromFile) {
    return value
        .or(() -> fromFile)
        .map(String::strip)
        .filter(t -> !t.isBlank())
        .map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(java.nio.file.Path file, String key) {
    try {
      return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + key + " " + file, e);
    }
  }

  /** Whether {@code authorization} carries the API token, which opens every route. */
  public boolean accepts(String authorization) {
    return matches(token, authorization);
  }

  /** Whether reads need a token ({@code tidemark.api.protect-reads}). */
  public boolean protectsReads() {
    return protectReads;
  }

  /** Whether {@code authorization} may read: reads are open, or it carries either token. */
  public boolean acceptsRead(String authorization) {
    return !protectReads || matches(token, authorization) || matches(readToken, authorization);
  }

  private static boolean matches(Optional<byte[]> expected, String authorization) {
    if (expected.isEmpty() || authorization == null || !authorization.startsWith(PREFIX)) {
      return false;
    }
    byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected.get(), given);
  }
}
