/** Main classes the tests put in images: each calls {@code org.mirage4j.boot.Boot} as a generated main does. */
package org.mirage4j.image.guest;
