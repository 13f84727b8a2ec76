/**
 * Events with Exchange's IDs (1175 duplicate peers on one IP, 1194 unresolvable peer name, 1400 and
 * 1401 peer health, 1021 untrusted source, 1442 gateway not Enabled, 1424 peer cache refreshed)
 * plus umgw's own for what Exchange never did (stale or refused DNS answers, directory outages, the
 * prober's own failure). Every event is logged with its ID and delivered to listeners.
 */
package org.umgw.events;
