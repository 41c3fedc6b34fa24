/**
 * Logging set up in code, the same for every entry point (docs/decisions/0017): no search of the class
 * path for providers, configurators or logback.xml.
 */
package dev.certops.logging;
