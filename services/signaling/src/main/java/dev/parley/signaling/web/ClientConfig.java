package dev.parley.signaling.web;

/**
 * What the web app needs to know about the deployment it runs in: one build of the app serves
 * every deployment, so nothing of this is compiled into it. {@code mediaRegion} is null when unset:
 * the app then states no region in its media offers.
 */
public record ClientConfig(String issuer, String clientId, String keyDistributionUrl, String presenceUrl,
                           String mediaRegion) {
}
