import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@wangge/auth';
import { CatalogueService } from '@wangge/catalogue';

@ApiTags('catalogue')
@Controller('api/v1/categories')
export class CategoriesController {
  constructor(@Inject(CatalogueService) private readonly catalogue: CatalogueService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The category catalogue with registration conditions, time limits and closing conditions in force' })
  list() {
    return this.catalogue.list();
  }
}
