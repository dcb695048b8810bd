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
        config.api().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  public boolean accepts(String authorization) {
    if (token.isEmpty() || authorization == null || !authorization.startsWith(PREFIX)) {
      return false;
    }
    byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token.get(), given);
  }
}
