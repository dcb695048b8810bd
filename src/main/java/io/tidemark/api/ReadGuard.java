package io.tidemark.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * With {@code tidemark.api.protect-reads=true}, answers 401 to a read of {@code /api/targets} that
 * carries neither the API token nor the read token. Reports name every service, image and env value
 * of the platform; health ({@code /q/health}) and metrics ({@code /q/metrics}) stay open for probes
 * and Prometheus, and the page's static files hold no data.
 */
public class ReadGuard {

  private final BearerToken token;

  public ReadGuard(BearerToken token) {
    this.token = token;
  }

  @ServerRequestFilter
  public Optional<Response> guard(ContainerRequestContext request) {
    boolean read =
        HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
    String path = request.getUriInfo().getPath();
    if (!read || !token.protectsReads() || !path.startsWith("/api/targets")) {
      return Optional.empty();
    }
    if (token.acceptsRead(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
      return Optional.empty();
    }
    return Optional.of(
        Response.status(Response.Status.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
            .type(MediaType.APPLICATION_JSON)
            .entity(
                Map.of(
                    "error",
                    "reads are protected (tidemark.api.protect-reads): send the API token or the"
                        + " read token as a bearer token"))
            .build());
  }
}
