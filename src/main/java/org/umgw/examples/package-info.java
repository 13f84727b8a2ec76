/**
 * Small programs built only on the public library, to show how a SIP server embeds umgw: {@link
 * org.umgw.examples.DemoSipEndpoint} admits SIP requests through {@link
 * org.umgw.service.TrustService}.
 */
package org.umgw.examples;
