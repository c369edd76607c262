package dev.parley.signaling.web;

import dev.parley.signaling.SignalingConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/v1/client-config}: public, read by the web app before anything else. */
@Path("/api/v1/client-config")
public class ClientConfigResource {

    private final ClientConfig config;

    ClientConfigResource(SignalingConfig config) {
        SignalingConfig.Web web = config.web();
        this.config = new ClientConfig(web.issuer(), web.clientId(), web.keyDistributionUrl(), web.presenceUrl(),
                web.mediaRegion().orElse(null));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(config).cacheControl(cache).build();
    }
}
