"""netplan's version, in a module of its own: whatever needs it imports it without the
package's face (:mod:`netplan`), which imports everything."""

__version__ = "0.1.0"
