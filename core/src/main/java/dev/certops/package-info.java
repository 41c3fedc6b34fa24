/** certops core: all product logic, no JavaFX and no JSch. Packages are by feature. */
package dev.certops;
