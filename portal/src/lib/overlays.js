// The map's vector overlays, loaded on first use (OpenLayers' vector
// rendering is the larger part of its code, and a map opens without it):
// the features a search or a list shows, and the marker of the point a
// pop-up tells about.
import Feature from 'ol/Feature.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Point from 'ol/geom/Point.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style.js';

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

const highlightStyle = new Style({
  stroke: new Stroke({ color: '#ff0080', width: 3 }),
  fill: new Fill({ color: 'rgba(255, 0, 128, 0.12)' }),
  image: new CircleStyle({ radius: 10, stroke: new Stroke({ color: '#ff0080', width: 3 }), fill: new Fill({ color: 'rgba(255,0,128,0.2)' }) }),
});

// Where the visitor asked (a click, or Enter on the map's centre).
const markerStyle = new Style({
  image: new CircleStyle({ radius: 7, stroke: new Stroke({ color: '#ffffff', width: 3 }), fill: new Fill({ color: '#0b5394' }) }),
});

export function createOverlays(map) {
  const highlight = new VectorLayer({ source: new VectorSource(), style: highlightStyle, zIndex: 10 });
  const marker = new VectorLayer({ source: new VectorSource(), style: markerStyle, zIndex: 11 });
  map.addLayer(highlight);
  map.addLayer(marker);
  return {
    /** Mark GeoJSON features (EPSG:4326); their extent, or null when none has a geometry. */
    show(features) {
      const olFeatures = features.filter((f) => f.geometry).map((f) => geojson.readFeature(f));
      highlight.getSource().clear();
      highlight.getSource().addFeatures(olFeatures);
      return olFeatures.length ? highlight.getSource().getExtent() : null;
    },
    clear: () => highlight.getSource().clear(),
    mark(coordinate) {
      marker.getSource().clear();
      if (coordinate) marker.getSource().addFeature(new Feature(new Point(coordinate)));
    },
  };
}
