/*
 * PNG encoder defaults for QGIS Server (preloaded into its FastCGI workers).
 *
 * QGIS Server 3.22 writes GetMap PNGs with QImage::save(device, "PNG") and no
 * quality, so Qt leaves libpng at its defaults: every row tried with all five
 * PNG filters and zlib's default level 6. On the city's maps that is most of
 * a request's CPU (65 % of a 1024x768 full map, measured with perf), and QGIS
 * Server has no setting for it. This library changes the two defaults for
 * every PNG the process writes:
 *
 *   - no row filter, as MapServer writes its maps (the maps are flat colours:
 *     filters cost time and, on these images, make the files larger);
 *   - zlib level ZGIS_PNG_ZLIB_LEVEL (0-9, default 1): the files stay the
 *     size of Qt's defaults (measured: 182 KB instead of 213 KB for the full
 *     city map, 39.6 KB instead of 39.7 KB for a dense tile).
 *
 * Only defaults change: a level chosen explicitly by the writer (a quality
 * passed to QImageWriter) is kept, PNGs being read are not touched, and the
 * pixels are the same (PNG is lossless). Without the library QGIS Server
 * works exactly as before, only slower.
 *
 * It wraps three libpng functions that Qt calls for every PNG it writes:
 * png_create_write_struct (which PNG is being written), png_set_compression_level
 * (whether its writer chose a level) and png_set_IHDR (where the colour type
 * is known), each forwarding to libpng.
 *
 * Build: cc -O2 -shared -fPIC -o libzgis-pngdefaults.so pngdefaults.c -lpng16 -ldl
 * (tools/server.sh builds it into the run folder; qgis_server/README.md
 * shows the systemd set-up with LD_PRELOAD).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

#include <png.h>

typedef png_structp (*create_write_fn)(png_const_charp, png_voidp, png_error_ptr, png_error_ptr);
typedef void (*set_ihdr_fn)(png_const_structrp, png_inforp, png_uint_32, png_uint_32, int, int, int, int, int);
typedef void (*set_level_fn)(png_structrp, int);

static create_write_fn real_create_write;
static set_ihdr_fn real_set_ihdr;
static set_level_fn real_set_level;
static int default_level = 1;
static pthread_once_t resolved = PTHREAD_ONCE_INIT;

/* The PNG this thread is writing (one thread writes a PNG from
 * png_create_write_struct to png_write_end) and whether its writer chose a
 * level itself. libpng calls png_set_IHDR when it reads a PNG too: those
 * calls are for other structs and pass through untouched. */
static __thread png_const_structrp current_writer;
static __thread int level_chosen;

static void *libpng_symbol(const char *name)
{
    /* Qt links libpng16's versioned symbols; forward to the same version. */
    void *symbol = dlvsym(RTLD_NEXT, name, "PNG16_0");
    return symbol ? symbol : dlsym(RTLD_NEXT, name);
}

/* Read when the library is loaded, before main(): the FastCGI library of
 * QGIS Server swaps the process environment for each request's parameters,
 * so getenv() at request time would not see the worker's settings. */
__attribute__((constructor)) static void read_settings(void)
{
    const char *level = getenv("ZGIS_PNG_ZLIB_LEVEL");
    if (level && *level) {
        char *end;
        long value = strtol(level, &end, 10);
        if (*end == '\0' && value >= 0 && value <= 9)
            default_level = (int)value;
    }
}

static void resolve(void)
{
    real_create_write = (create_write_fn)libpng_symbol("png_create_write_struct");
    real_set_ihdr = (set_ihdr_fn)libpng_symbol("png_set_IHDR");
    real_set_level = (set_level_fn)libpng_symbol("png_set_compression_level");
}

png_structp png_create_write_struct(png_const_charp user_png_ver, png_voidp error_ptr, png_error_ptr error_fn,
                                    png_error_ptr warn_fn)
{
    pthread_once(&resolved, resolve);
    png_structp png_ptr = real_create_write(user_png_ver, error_ptr, error_fn, warn_fn);
    current_writer = png_ptr;
    level_chosen = 0;
    return png_ptr;
}

void png_set_compression_level(png_structrp png_ptr, int level)
{
    pthread_once(&resolved, resolve);
    if (png_ptr && png_ptr == current_writer)
        level_chosen = 1;
    real_set_level(png_ptr, level);
}

void png_set_IHDR(png_const_structrp png_ptr, png_inforp info_ptr, png_uint_32 width, png_uint_32 height,
                  int bit_depth, int color_type, int interlace_method, int compression_method, int filter_method)
{
    pthread_once(&resolved, resolve);
    real_set_ihdr(png_ptr, info_ptr, width, height, bit_depth, color_type, interlace_method, compression_method,
                  filter_method);
    if (!png_ptr || png_ptr != current_writer)
        return; /* a PNG being read, or written by another thread's struct */
    if (color_type != PNG_COLOR_TYPE_PALETTE && bit_depth >= 8) /* palette images are unfiltered already */
        png_set_filter((png_structrp)png_ptr, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    if (!level_chosen)
        real_set_level((png_structrp)png_ptr, default_level);
}
