// Thematic views by name (config.maps[].theme), each loaded only by the map that has it.
export const THEMES = {
  budget: () => import('./budget.js'),
  energy: () => import('./energy.js'),
  investment: () => import('./investment.js'),
  advertising: () => import('./advertising.js'),
};
