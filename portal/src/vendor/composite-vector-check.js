// What ol/renderer/Composite.js (the map's renderer) gets for
// ol/layer/BaseVector.js (build.mjs). The renderer imports the vector layer
// class for one test only, `layer instanceof BaseVectorLayer &&
// layer.getDeclutter()`, to find layers that declutter their labels; the real
// module brings OpenLayers' vector styling and rendering with it (about 100 KB
// of script, a third of the viewer's startup), which the map needs only when
// it first draws a vector overlay (lib/overlays.js loads it then). Every layer
// has getDeclutter(), and only a vector layer's can answer anything but
// undefined, so the renderer's test answers as it does with the real class.
export default class BaseVectorLayer {
  static [Symbol.hasInstance](layer) {
    return typeof layer?.getDeclutter === 'function';
  }
}
