package io.tidemark.api;

import io.tidemark.config.TidemarkConfig;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks the bearer token of mutating API routes in constant time; with no token configured, nobody
 * passes.
 */
@Singleton
public class BearerToken {

  private static final String PREFIX = "Bearer ";

  private final Optional<byte[]> token;

  public BearerToken(TidemarkConfig config) {
    this.token =
        config
            .api()
            .token()
            .or(() -> config.api().tokenFile().map(BearerToken::read))
            .map(String::strip)
            .filter(t -> !t.isBlank())
            .map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read tidemark.api.token-file " + file, e);
    }
  }

  public boolean accepts(String authorization) {
    if (token.isEmpty() || authorization == null || !authorization.startsWith(PREFIX)) {
      return false;
    }
    byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token.get(), given);
  }
}
